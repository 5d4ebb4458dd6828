export { renderSvg, isVegaLiteSpec, VEGALITE_SCHEMA, type VegaLiteSpec } from './render';
