/**
 * The sky-map background: a HiPS (resources/sky/procedural, copied next to
 * the renderer by vite's publicDir) drawn on the globe, one mesh per HEALPix
 * tile with the tile's JPEG as texture. The tile corners and interior come
 * from app/sky (tilePointLonLat), so the image lines up with the catalogue.
 * Dimmed so the objects stay readable. Equatorial frame only.
 */
import { BufferAttribute, BufferGeometry, DoubleSide, Group, Mesh, MeshBasicMaterial, SRGBColorSpace, TextureLoader } from 'three';
import { tilePath, tilePointLonLat } from '../../../app/sky/hips';
import { unitVectors } from './sky-math';

export interface HipsBackgroundOptions {
  /** URL of the HiPS folder ('.' = next to index.html) */
  base: string;
  order: number;
  tileWidth: number;
  /** grid segments per tile side */
  segments: number;
  radius: number;
}

export const BUNDLED_SKY: HipsBackgroundOptions = { base: '.', order: 1, tileWidth: 256, segments: 8, radius: 0.998 };

function tileGeometry(o: HipsBackgroundOptions, tile: number): BufferGeometry {
  const S = o.segments, n = (S + 1) * (S + 1);
  const ra = new Float32Array(n), dec = new Float32Array(n), uv = new Float32Array(n * 2);
  for (let j = 0; j <= S; j++)
    for (let i = 0; i <= S; i++) {
      const k = j * (S + 1) + i;
      [ra[k], dec[k]] = tilePointLonLat(o.order, tile, o.tileWidth, (i / S) * o.tileWidth, (j / S) * o.tileWidth);
      uv[2 * k] = i / S;
      uv[2 * k + 1] = 1 - j / S;
    }
  const index: number[] = [];
  for (let j = 0; j < S; j++)
    for (let i = 0; i < S; i++) {
      const a = j * (S + 1) + i, b = a + 1, c = a + S + 1, d = c + 1;
      index.push(a, c, b, b, c, d);
    }
  return new BufferGeometry()
    .setAttribute('position', new BufferAttribute(unitVectors(ra, dec, o.radius), 3))
    .setAttribute('uv', new BufferAttribute(uv, 2))
    .setIndex(index);
}

/** all tiles of one order; `onTile` after each texture arrives (re-render) */
export function hipsBackground(o: HipsBackgroundOptions, onTile: () => void): Group {
  const group = new Group();
  const loader = new TextureLoader();
  for (let tile = 0; tile < 12 * 4 ** o.order; tile++) {
    const map = loader.load(`${o.base}/${tilePath(o.order, tile, 'jpeg')}`, onTile, undefined, () => undefined);
    map.colorSpace = SRGBColorSpace;
    group.add(new Mesh(tileGeometry(o, tile), new MeshBasicMaterial({ map, side: DoubleSide, color: 0x8a8a8a })));
  }
  return group;
}
