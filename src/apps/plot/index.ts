/**
 * Pictures: heatmaps, overlays, grids, training curves and confusion matrices, drawn into
 * an RGBA {@link Raster}. In Node, `st.plot` also writes them as PNG files
 * (`st.plot.history(history, 'out/curves.png')`); in a browser, draw
 * `raster.toImageData()` on a canvas.
 * @module
 */
export { Raster, type Rgba, type RasterImageData } from './raster.js';
export { colorAt, type Colormap } from './colormap.js';
export type { PixelSource } from './pixels.js';
export {
  heatmapImage, imageImage, overlayImage, gridImage,
  type HeatmapOptions, type ImageOptions, type OverlayOptions, type GridOptions,
} from './images.js';
export {
  historyImage, confusionMatrixImage, formatTick,
  type HistoryLike, type HistoryRecord, type ConfusionTable, type HistoryImageOptions, type ConfusionLike, type ConfusionImageOptions,
} from './charts.js';
export { barChartImage, type BarChartOptions } from './bars.js';
