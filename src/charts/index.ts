export { renderSvg, renderPng, isVegaLiteSpec, VEGALITE_SCHEMA, type VegaLiteSpec } from './render';
export {
  linesByGroup,
  densityByGroup,
  weightBars,
  shareBars,
  binScatter,
  coefPlot,
  drawHistogram,
} from './specs';
export { pathDiagram, cityMap, provinceDots } from './diagrams';
export { stampChart, chartProvenance, wrapLine } from './stamp';
