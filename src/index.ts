/** driverlab's public entry: everything a driver, a test or a user may import. */
export const DRIVERLAB_VERSION = '0.1.0';
