// The read stage: the only part of the core that reads a byte source. Bytes → facts.
export { readWheel, type BinaryHandler, type ReadOptions, type WheelRead } from "./wheel.js";
export { bufferRecycler, type Recycler } from "./recycler.js";
export { analyzeBinary } from "./binary.js";
export { MAX_MEMBER_SIZE, maxTotalSize } from "./limits.js";
export { recordFindings, type RecordedMember } from "./record-rule.js";
export { binaryMembers, mayBeBinary, SNIFF_BYTES, type MemberSelection } from "./select.js";
