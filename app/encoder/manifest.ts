/**
 * The model package format: native-models/<name>/{model.onnx, manifest.json}.
 * The preprocessing vocabulary is a list of steps applied in order to a
 * Cutout (float32, band-major) to produce the model input tensor [C, H, W].
 * It expresses our default model, the published AstroCLIP image encoder
 * (Legacy Survey viewer RGB transform) and a plain DINOv2 (RGB mean/std).
 */
export type PreprocessStep =
  /** pick and order planes by band name (e.g. ['g','r','z']); missing band = error */
  | { op: 'select_bands'; bands: string[] }
  /** centre crop to [height, width]; smaller inputs are zero-padded */
  | { op: 'center_crop'; size: [number, number] }
  /** resample to [height, width] */
  | { op: 'resize'; size: [number, number]; method: 'bilinear' | 'area' | 'nearest' }
  /** replace NaN/Inf by a value */
  | { op: 'nan_to_num'; value: number }
  /** x * factor[b] per plane */
  | { op: 'scale'; factors: number[] }
  /**
   * asinh(x / (k * sigma_b)) where sigma_b is the per-band sky noise
   * estimated on this cutout (1.4826 * MAD of the pixels), floored at
   * `minSigma` (per band) so an empty cutout does not explode.
   */
  | { op: 'sky_asinh'; k: number; minSigma: number[] }
  /** asinh(x / softening[b]) * multiplier */
  | { op: 'asinh'; softening: number[]; multiplier: number }
  /**
   * The Legacy Survey viewer's RGB transform (as used by AstroCLIP):
   * per input plane scale s_b and offset m: y_b = max(0, x_b * s_b + m),
   * I = mean_b(y_b), fI = asinh(Q * I) / sqrt(Q), out_b = y_b * fI / I,
   * clipped to [0, 1]; planes are then emitted in `outputOrder` (band names).
   */
  | { op: 'legacysurvey_rgb'; scales: Record<string, number>; offset: number; Q: number; outputOrder: string[] }
  /** (x - mean[b]) / std[b] */
  | { op: 'normalize'; mean: number[]; std: number[] }
  /** clip to [min, max] */
  | { op: 'clip'; min: number; max: number };

export interface TensorSpec {
  name: string;
  /** e.g. ['batch', 3, 64, 64]; strings are symbolic dims */
  shape: (number | string)[];
  dtype: 'float32' | 'float16';
}

export interface ModelManifest {
  format: 'latent-sky-model';
  formatVersion: 1;
  name: string;
  version: string;
  licence: string;
  description?: string;
  /** ONNX file name relative to the folder */
  file: string;
  input: TensorSpec;
  /** bands of the source cutouts the model expects, e.g. ['g','r','z'] */
  bands: string[];
  /** arcsec per pixel of the cutouts the model was trained on */
  pixscale: number;
  preprocess: PreprocessStep[];
  outputs: {
    /** global embedding [B, D] */
    embedding: { name: string; dim: number };
    /** patch tokens [B, N, D'] on a rows x cols grid (row-major, N = rows*cols) */
    patchTokens?: { name: string; dim: number; grid: [number, number] };
  };
  metric: 'cosine' | 'l2' | 'ip';
  /** free-form provenance: script, seed, data, date */
  training?: Record<string, unknown>;
}
