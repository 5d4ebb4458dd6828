/**
 * arquero, as the package loads it. arquero ships as about 170 ES-module files, which node takes about 0.15 s of
 * CPU to load; the build (scripts/build.js) bundles the same installed sources into one CommonJS file,
 * dist/vendor/arquero.js, which loads in about 0.03 s. Every notebook's kernel loads the package afresh, so
 * `nqp reproduce` pays this five times. Run from src/ (the tests, under tsx) there is no bundle beside this file,
 * and the package itself is loaded: the same code, and the same instance the tests import.
 */
import type * as Arquero from 'arquero';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const BUNDLE = join(__dirname, '..', 'vendor', 'arquero.js');

export const aq: typeof Arquero = existsSync(BUNDLE) ? require(BUNDLE) : require('arquero');
