/** Board assembly from a device tree: spec derivation, hardware models, platform devices, listing and loading `.dts` boards. */
export { specFromTree, DEFAULT_RAM_SIZE, type SpecOptions, type SpecFromTree } from './spec.js';
export { attachTree, boardAssembly, type BoardAssembly, type PlacedModel, type AttachOptions } from './attach.js';
export { populate, createPlatformDevice, MPC85XX_BUS_IDS, type BusMatch, type PopulateOptions } from './populate.js';
export { makeBusId } from './bus-id.js';
export { dmaCoherent, treeCoherence } from './coherence.js';
export { deviceRows, formatDeviceList, type DeviceRow } from './listing.js';
export { loadBoardSpec, shippedBoard, BOARDS_DIR, type LoadOptions } from './spec-file.js';
export { bootDts } from './load.js';
