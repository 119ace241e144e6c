/** The driver core's internal surface, for the board layer and other kernel layers (drivers use `api/`). */
export { driverCore, DriverCore, type IrqMapper, type IrqMapping, type BarrierKind } from './core.js';
export { PlatformBus, type Binding, type BindState, type DeviceListing, type UnbindResult } from './platform-bus.js';
export { PlatformDevice, PLATFORM_DEVID_NONE, PLATFORM_DEVID_AUTO, type PlatformDriver, type DeviceDriver, type OfDeviceId, type PlatformDeviceId, type PlatformIrq } from './platform-device.js';
export { devres_add, devres_find, devres_remove, devres_release, devres_list, devres_pending, type DevresEntry } from './devres.js';
export { onUnbind, unbindCheckNames, type UnbindCheck, type UnbindContext, type UnbindLeak } from './unbind-checks.js';
export { devicePrivate, type DevicePrivate } from './device-private.js';
export { ofMatchNode, platformMatch, type MatchResult } from './match.js';
export { translateReg, addressToResource, regCount, busAddressCells, busSizeCells, type TranslateResult } from './of-address.js';
export { parseInterrupts, findInterruptParent, mapInterrupts, mapSpecifier, type IrqSpecifier } from './of-irq.js';
export { compatibles, isAvailable, compatibleScore, findProp, propCells, propStrings, nodeBaseName, type OfNode, type OfProperty } from './of-node.js';
export { IoremapSpace, IOREMAP_END, type IoremapArea } from './ioremap.js';
export * from './resource.js';
export * from './errno.js';
export { kvsprintf, formatMessage } from './vsprintf.js';
export { devPrintk, netdevPrintk, dynamicDebug, type NetdevPrintable } from './printk.js';
