/**
 * `driverlab/testing`: fixtures for testing drivers — a board with an Ethernet driver bound and a
 * peer on the wire (`nicRig`), frame builders, and a report assertion usable in any test runner.
 */
export { nicRig, assertNoReports, RigBindError, type NicRig, type NicRigOptions } from './nic-rig.js';
export { arpRequest, echoRequest, isEchoReply } from './frames.js';
