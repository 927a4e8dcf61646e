/**
 * TensorBoard event files in pure TypeScript: CRC-32C, protobuf encoding, TFRecord framing,
 * Event/Summary messages (scalars, histograms, images, HParams), a writer and a reader, and the
 * `TensorBoard` training callback.
 * @module
 */
export { crc32c, maskedCrc32c } from './crc32c.js';
export { frameRecord, readRecords } from './record.js';
export { EventWriter, MemorySink, type EventSink } from './writer.js';
export { readEventFile, type ReadEvents, type ReadValue } from './reader.js';
export { histogramOf, type Histogram } from './histogram.js';
export { encodePng } from './png.js';
export { summaryEvent, fileVersionEvent, hparamsSessionStart, hparamsSessionEnd, hparamsExperiment, type SummaryValue, type HParamDomain } from './event.js';
export { TensorBoard, type TensorBoardOptions, type SinkFactory } from './callback.js';
