/**
 * The few-shot linear probe: L2-regularised logistic regression with class
 * balancing, fitted by Newton's method (IRLS) with a backtracking line search.
 * Minimises   Σ_i c_i · log(1 + exp(−s_i (w·x_i + b))) + (λ/2)‖w‖²
 * where s_i = ±1 and c_i = w_i · W / (2 W_class(i)) when balancing (each
 * class weighs the same in total; w_i are optional sample weights, W their
 * sum), else w_i. The intercept is not penalised.
 * Features may be standardised with a fixed (center, scale); the returned
 * model folds that into its weights, so scoring is a single dot product.
 */
import { AppError } from '../core/errors';
import { choleskySolve, matVec, type Floats } from './matrix';

export interface ProbeOptions {
  /** λ, the L2 penalty on the weights (1/C in scikit-learn terms); default 1 */
  l2?: number;
  /** weight classes inversely to their frequency; default true */
  balance?: boolean;
  maxIter?: number;
  /** stop when the largest Newton step is below this; default 1e-8 */
  tol?: number;
  /** subtract before fitting (length dim) */
  center?: ArrayLike<number>;
  /** divide by after centring (length dim; zeros are treated as 1) */
  scale?: ArrayLike<number>;
  /** per-row weights (default 1), e.g. low weights for assumed negatives */
  sampleWeights?: ArrayLike<number>;
}

export interface ProbeModel {
  dim: number;
  /** weights in the standardised feature space (what the optimiser saw) */
  rawWeights: Float64Array;
  rawBias: number;
  /** weights and bias applied to unstandardised rows: logit = weights·x + bias */
  weights: Float64Array;
  bias: number;
  l2: number;
  iterations: number;
  converged: boolean;
  /** final objective value */
  loss: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + exp(−z)), stable */
const softplusNeg = (z: number): number => (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));

/**
 * Fit on rows X (n × dim) with binary targets y (1 = positive, 0 = negative).
 * Needs at least one example of each class.
 */
export function fitProbe(X: Floats, dim: number, y: ArrayLike<number>, opts: ProbeOptions = {}): ProbeModel {
  const n = X.length / dim;
  if (n !== y.length) throw new AppError('BAD_INPUT', `probe: ${n} rows but ${y.length} labels`);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (y[i]) nPos++;
  if (nPos === 0 || nPos === n) throw new AppError('BAD_INPUT', `probe: needs positives and negatives (got ${nPos} positive of ${n})`);
  const lambda = opts.l2 ?? 1;
  const balance = opts.balance ?? true;
  const maxIter = opts.maxIter ?? 50;
  const tol = opts.tol ?? 1e-8;
  const p = dim + 1; // weights + intercept (last)

  // standardised design matrix, float64, with a trailing 1 column
  const Z = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const s = opts.scale ? opts.scale[j] || 1 : 1;
      Z[i * p + j] = (X[i * dim + j] - (opts.center ? opts.center[j] : 0)) / s;
    }
    Z[i * p + dim] = 1;
  }
  const c = new Float64Array(n);
  const sgn = new Float64Array(n);
  const w = (i: number) => (opts.sampleWeights ? opts.sampleWeights[i] : 1);
  let wPos = 0,
    wAll = 0;
  for (let i = 0; i < n; i++) {
    wAll += w(i);
    if (y[i]) wPos += w(i);
  }
  for (let i = 0; i < n; i++) {
    sgn[i] = y[i] ? 1 : -1;
    c[i] = balance ? (w(i) * wAll) / (2 * (y[i] ? wPos : wAll - wPos)) : w(i);
  }

  const beta = new Float64Array(p);
  const margin = new Float64Array(n);
  const objective = (b: Float64Array): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < p; j++) z += Z[i * p + j] * b[j];
      f += c[i] * softplusNeg(sgn[i] * z);
    }
    let r = 0;
    for (let j = 0; j < dim; j++) r += b[j] * b[j];
    return f + 0.5 * lambda * r;
  };

  let loss = objective(beta);
  let iterations = 0;
  let converged = false;
  const g = new Float64Array(p);
  const H = new Float64Array(p * p);
  while (iterations < maxIter) {
    iterations++;
    g.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      let z = 0;
      const o = i * p;
      for (let j = 0; j < p; j++) z += Z[o + j] * beta[j];
      margin[i] = z;
      const prob = sigmoid(z);
      const t = y[i] ? 1 : 0;
      const gi = c[i] * (prob - t);
      const hi = c[i] * prob * (1 - prob);
      for (let j = 0; j < p; j++) {
        const zj = Z[o + j];
        g[j] += gi * zj;
        if (hi === 0 || zj === 0) continue;
        const hz = hi * zj;
        for (let k = j; k < p; k++) H[j * p + k] += hz * Z[o + k];
      }
    }
    for (let j = 0; j < dim; j++) {
      g[j] += lambda * beta[j];
      H[j * p + j] += lambda;
    }
    H[dim * p + dim] += 1e-10;
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) H[j * p + k] = H[k * p + j];
    const step = choleskySolve(H, g, p);
    if (!step) throw new AppError('INTERNAL', 'probe: Hessian is not positive definite');
    // backtracking line search on the objective
    let t = 1;
    const trial = new Float64Array(p);
    let next = loss;
    for (let ls = 0; ls < 30; ls++) {
      for (let j = 0; j < p; j++) trial[j] = beta[j] - t * step[j];
      next = objective(trial);
      if (next <= loss + 1e-12 * Math.abs(loss)) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let j = 0; j < p; j++) {
      maxStep = Math.max(maxStep, Math.abs(beta[j] - trial[j]));
      beta[j] = trial[j];
    }
    loss = next;
    if (maxStep < tol) {
      converged = true;
      break;
    }
  }

  const rawWeights = beta.slice(0, dim);
  const rawBias = beta[dim];
  const weights = new Float64Array(dim);
  let bias = rawBias;
  for (let j = 0; j < dim; j++) {
    const s = opts.scale ? opts.scale[j] || 1 : 1;
    weights[j] = rawWeights[j] / s;
    bias -= weights[j] * (opts.center ? opts.center[j] : 0);
  }
  return { dim, rawWeights, rawBias, weights, bias, l2: lambda, iterations, converged, loss };
}

/** Logits w·x + b for every row of M (N × dim). */
export function probeLogits(model: ProbeModel, M: Floats, out?: Float32Array): Float32Array {
  return matVec(M, model.dim, model.weights, model.bias, out);
}

/** Probabilities σ(w·x + b) for every row of M (N × dim), as float32 scores. */
export function probeScores(model: ProbeModel, M: Floats, out?: Float32Array): Float32Array {
  const s = probeLogits(model, M, out);
  for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i]);
  return s;
}
