import { ShaderMaterial } from 'three';

/** Round points of a fixed pixel size, coloured by a normalised RGBA attribute `color`. */
export function pointsMaterial(sizePx: number, ring = false): ShaderMaterial {
  return new ShaderMaterial({
    uniforms: { size: { value: sizePx * (globalThis.devicePixelRatio || 1) } },
    vertexShader: /* glsl */ `
      attribute vec4 color;
      uniform float size;
      varying vec4 vColor;
      void main() {
        vColor = color;
        gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
        gl_PointSize = size;
      }`,
    fragmentShader: /* glsl */ `
      varying vec4 vColor;
      void main() {
        float r = length(gl_PointCoord - 0.5) * 2.0;
        if (r > 1.0) discard;
        ${ring ? 'if (r < 0.6) discard;' : ''}
        gl_FragColor = vColor;
      }`,
    transparent: false,
  });
}
