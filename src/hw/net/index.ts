/** Simulated Ethernet: wire ports and timing, links with faults and taps, traffic endpoints and generators, pcap capture, multi-board time. */
export * from './wire.js';
export { crc32, crc32Raw, etherCrc, bitrev32 } from './crc32.js';
export { Link, LinkDirection, type LinkSide, type LinkFaultKind, type LinkCounters, type LinkTap, type LinkOptions, type LinkState, type LinkDirectionState } from './link.js';
export { TrafficEndpoint, type ReceivedFrame, type Responder, type EndpointCounters, type TrafficEndpointOptions } from './endpoint.js';
export { flood, sizeSweep, randomSizes, testFrame, writeTestFrame, testFrameSeq, testFrameIntact, TEST_ETHERTYPE, MIN_TEST_FRAME, type FrameSource, type TestFrameSpec, type GeneratorOptions } from './generators.js';
export { PcapWriter, readPcap, PCAP_MAGIC, PCAP_MAGIC_NS, LINKTYPE_ETHERNET, type PcapWriterOptions, type PcapRecord, type PcapFile } from './pcap.js';
export { Lockstep } from './lockstep.js';
