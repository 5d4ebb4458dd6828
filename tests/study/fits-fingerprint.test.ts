/**
 * Every number of the notebooks' repeated small fits stays as it was: each call of fits-calls.ts (the baseline's
 * fits and monteCarlo, the robustness fits with 2SLS and its diagnostics, mediation, groupDiff) computed with these
 * sources must give the exact text (every double to the bit, typed arrays as hex) whose SHA-256 the build before
 * the speed-ups of this round gave (main at 27d872d, recorded with fits-fingerprint.ts). A difference names the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from '../../src';
import { callHashes } from './fits-calls';

const RECORDED: Record<string, string> = {
  'baseline.m1': 'a106aa635e6e2ebbf2dbad2290c02dca959dca3505f129da8ad60047d6e19a3d',
  'baseline.m2': 'ee47bf767b8a319608a5ed2ce5a706048a3110328210beb98f63abc86eb9ce15',
  'baseline.m3': '5c5e632431be7348154b701818a7187b837aa1f9747365949e7247a4f54ec9a0',
  'baseline.m4': '0b25ad89e88afda2acf8ffa683d0e099850933761b9318b78c0b5ba9a85c01fc',
  'baseline.standardized': 'ec8e6af00fd200965e6f90df6db487ab8578341bb64ac39bfb4d7d7d53b1d05a',
  'baseline.partialOut': '6242687758d8498bdcfcc3a923c89dad3560f9bb5a5e1767fb33c4975d1aa06b',
  'baseline.latent1': '754dff49edca8b2e97048ba1de856eefd4177e8e3848b2bb2d5dfe6d8e9b7ccf',
  'baseline.latent2': '22e9ea0038a99c4e5e58858151f69fcaa1ce26fa01b1ca93803b236d014cfb67',
  'baseline.latent3': '831d0a2df7a51c065f75e33b44c86b626eb8c3a0abfcaaa005550ee804289aae',
  'baseline.latent4': 'bcd82f76379fd9d5578207c7ca262ec108aff52032a9738bad52f2ba33979ac1',
  'baseline.monteCarlo': '9d323e731a07035382b9f2d035e563ae46137a0210eb9c259164e04aa2fc7cef',
  'baseline.q2': 'f2b1058e2987b8643238615546e7f737d639ae29a37e52a832c1fec470093ddb',
  'baseline.q3': '28ad026161120c9f59830e9d4738a59571a7a384023412b5b9af273f32a68c56',
  'robustness.baseline': '0b25ad89e88afda2acf8ffa683d0e099850933761b9318b78c0b5ba9a85c01fc',
  'robustness.iv': 'a262cb0a98e0af3bcf5be510d52cbbe3ca3fa93df603546959b4d81f4726ed90',
  'robustness.first': '8f59e1399e231071790fea1d172123f6f9a74135e7bcd9e4e8586371e2c99221',
  'robustness.reduced': '069e4939bf56e5a071f6df35a5850fa99fb9c3fb5fa335d483089d438eeba208',
  'robustness.lag': '6bb041ded085ce93b3b85a41984d6bbf772ee5888d4402897f363eed2307f07e',
  'robustness.evFirst': 'f4e874c3d4ee5541a37ac992444af98a9fc5d3dc6ef597fbe2a7dc8b99d99054',
  'robustness.evReduced': '7d071fd696f15b6a0f6e6b994f23ea17b4ac683a846e9ca40d393cb594018ad4',
  'robustness.latentFe': '831d0a2df7a51c065f75e33b44c86b626eb8c3a0abfcaaa005550ee804289aae',
  'robustness.latentIv': '54e6785aa72089d7b557be7dc724b934e57d37562151d6360199d32827758603',
  'robustness.r1': '464a6f8d9568a96dd734c28ba1c711d4e83e0aac9b0d7eaccd490faa747dd8fc',
  'robustness.r2': '7e897da62ba36fde264dd229f7daf4556df0b21b331a52d0179975588ef1f017',
  'robustness.r3': 'bc06fc73d970779fdc724a0ff9539a17be4f2a331d061c4f705f9ec7fa763a87',
  'robustness.phases': '0f7762d2e87c3db89abe4e46b107b0a434b01155fe560146c818671b943ee826',
  'robustness.noMunicipalities': '30e3ea43aba787038d626ecde2e8fd5793fae5d76f05e51da04494957696a5ee',
  'robustness.before2020': 'a29b1f52e6469605c5c5887479f85c061a17d3d8ae290824c5fafb0344d32c20',
  'robustness.winsorised': 'cca093842a52e26928738f08a7b316cc81750aa3dfabd49b4e3edd5e7ef4419e',
  'robustness.provinceYear': '64c9bdb68a1f20c1956043db87b2a3a799b0d8989189da55a0bceec69f1ffb38',
  'robustness.byProvince': 'a41f7224fcc32f97825bbd49039cc3d5887863bca04ee5249d3dc76e31e7c438',
  'robustness.q1': '964cb59fa4e5b0cd1d5ab0d20b438d23e1cea62ef0183db95bd2e2a7653a5b8e',
  'mechanisms.mediation': '2ec86be7538622d0c44496ade22af0e563afb553074865f22407363a63217b2b',
  'mechanisms.q1': '8e565ed49af4fa1bf6763a76dc505f95a5002ea475f455cd1253806b858ffc3d',
  'mechanisms.q2': '5b73ce77ff15ed4effe20ef2230cbdb90c475b23da28f6a241dfd5f1babdf75c',
  'heterogeneity.non_resource': '3fd29aa037604500c9783a420bab509d58879db5d64723cdb6704ccf60e935ff',
  'heterogeneity.latent.non_resource': '20a4cbec9f769834aed5ec505ca4d1b27d693676c1be9e334b67bc7fe045436f',
  'heterogeneity.high_gov': '1d88b04e1891d24adeb1c9ba28cd29b9ef3e3ce0fe6f4f7f313fd02ca0e34095',
  'heterogeneity.latent.high_gov': '51d756fa1567f99e177ac464492a9661d0846757b14aae6fbf6d515ccd2e80f9',
  'heterogeneity.high_admin': '51d6a63ef868179678d325eeb6246ffe905dea37b1cfb17749cbd953f078bb0e',
  'heterogeneity.latent.high_admin': '5d59ade9bd68ee7f7275880108c6ecd6bd6d9209872a3831b4186837da8ef4ab',
  'heterogeneity.q1': '3050ce93dcecd2d55d7ead20be60e5ec1c7ac823b0748c5f4359d573df8e8cc3',
};

test("the notebooks' fits, monteCarlo, mediation and groupDiff: bit for bit those of the recorded build", async () => {
  const now = await callHashes(pkg);
  assert.deepEqual(Object.keys(now), Object.keys(RECORDED));
  const differ = Object.keys(RECORDED).filter((k) => now[k] !== RECORDED[k]);
  assert.deepEqual(differ, [], `calls whose results changed: ${differ.join(', ')}`);
});
