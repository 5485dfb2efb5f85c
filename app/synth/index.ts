/**
 * Latent Sky's built-in synthetic survey: Legacy-Survey-like g, r, z cutouts
 * (default 64×64 px at 0.262"/px, flux in nanomaggies) of a realistic galaxy
 * population with rare classes injected at known rates and ground truth.
 * Deterministic: object i depends only on (seed, i) through
 * createRng(seed).fork(i) (planning) and a separate noise stream, so any
 * worker can generate any subset in any order.
 *
 * Classes and default rates (fractions of all objects; `rates` overrides, then
 * renormalised). Label index = position in CLASS_NAMES:
 *   0 elliptical 33%   Sérsic n = N(4, 0.6) in [2.5, 6], q 0.45–1, r 16.5–21,
 *                      red: g−r = 0.78 + 2.0 z, r−z = 0.42 + 0.9 z (± 0.05)
 *   1 spiral     47%   exponential disk + Sérsic bulge (n 1.5–4, B/T 0.05–0.45,
 *                      bulge re 0.15–0.35 × disk re), random inclination
 *                      (thickness 0.12), 75% of not-too-inclined disks get 2–4
 *                      logarithmic arms (pitch 12–30°, 15–35% of disk light,
 *                      bluest component); r 16.5–21; disk g−r = 0.42 + 0.8 z
 *   2 star       15%   point source, r 15.5–21.5, stellar-locus colours
 *   3 lens      0.5%   red deflector (r 18–20.5) + SIE (θE 1.0–2.6", q ≥ 0.55)
 *                      lensing a blue compact source (unlensed r 21.5–24,
 *                      re 0.08–0.3", offset < 0.6 θE): arcs, pairs, rings
 *   4 ring      0.5%   bulge + clumpy blue ring (radius 1.8–5", width
 *                      10–25% of radius, 30–65% of the light), r 17–20.5
 *   5 tidal     1.5%   bright host (r 16.5–19) with shells / stream / plume
 *                      holding 5–20% of its flux at low surface brightness
 *   6 merger    1.5%   two galaxies 1.2–4.5" apart, flux ratio 1–4, two tidal
 *                      tails (6–18% of the light), r 17–20 combined
 *   7 artefact  1.0%   extra.artefact_kind 'trail' (60%: satellite trail
 *                      through an ordinary object, peak S/N 2–25, one band
 *                      70% of the time) or 'saturated' (40%: r 11.5–14.5 star,
 *                      clipped core, column bleed, diffraction spikes)
 * Magnitudes follow dN/dm ∝ 10^(0.2–0.35 m) within their ranges. Redshifts
 * follow magnitude (log z ≈ −0.70 + 0.17 (r − 18) for early types, −0.95 +
 * 0.18 (r − 18) for late types); sizes follow size–luminosity relations
 * (early: re = 4 kpc · 10^(−0.26 (M + 21.5)), disks: 5 kpc · 10^(−0.12 (M + 21)))
 * converted with flat ΛCDM (H0 70, Ωm 0.3); extra.redshift is a photo-z
 * (σ = 0.02 (1 + z), 2% outliers), extra.z_true the true value.
 *
 * Every stamp also holds faint background galaxies (Poisson mean 4, r
 * 21.5–25.5), neighbour galaxies (mean 0.35, r 18.5–22) and field stars
 * (mean 0.25, r 17–22). Observing: Gaussian PSF, r seeing uniform in 1.0–1.5"
 * (g × 1.08, z × 0.93); sky noise per pixel g 0.0042, r 0.0073, z 0.017
 * nanomaggies (5σ point-source depths ≈ 24.5, 23.9, 23.0) plus source Poisson
 * noise for skies of 22.0, 20.8, 19.8 mag/arcsec²; saturation at 25, 30, 45
 * nanomaggies per pixel. Neighbours are drawn per stamp (stamps are not
 * mutually consistent where they would overlap on the sky).
 *
 * Catalogue extras: mag_g, mag_r, mag_z, redshift, z_true, half_light_radius
 * (arcsec), sersic_n, axis_ratio, pa_deg, bulge_frac (spirals), psf_fwhm_g/r/z
 * and per class: einstein_radius, lens_q, source_mag_r, source_z,
 * source_offset (β/θE), magnification, arc_snr (lens); ring_radius, ring_width,
 * ring_frac (ring); tidal_kind, tidal_frac, tidal_sb_r, tidal_sigma_px (tidal); merger_sep, flux_ratio,
 * merger_kind (merger); artefact_kind, trail_band, trail_snr, host_class,
 * star_mag_r (artefact). Visibility columns (arc_snr, tidal_sb_r) and their
 * thresholds: visibility.ts.
 */
export {
  CLASS_NAMES,
  DEFAULT_CONDITIONS,
  DEFAULT_RATES,
  classRates,
  expectedClassCounts,
  resolveOptions,
  type BandConditions,
  type ResolvedOptions,
  type SurveyOptions,
  type SynthClass,
} from './options';
export { generateSurvey, surveyObject, surveyObjectMeta, noiseRng, type SurveyItem } from './survey';
export { planObject, synthId } from './plan';
export { renderScene, type RenderOptions } from './render';
export type { Component, Flux, Role, Scene } from './scene';
