/**
 * The sky-map background: a HiPS (resources/sky/procedural, copied next to
 * the renderer by vite's publicDir) drawn on the globe, one mesh per HEALPix
 * tile with the tile's JPEG as texture. The tile corners and interior come
 * from app/sky (tilePointLonLat), so the image lines up with the catalogue.
 * Dimmed so the objects stay readable. Equatorial frame only. The same
 * textures also cover the all-sky Hammer-Aitoff view.
 */
import { BufferAttribute, BufferGeometry, DoubleSide, Group, Mesh, MeshBasicMaterial, SRGBColorSpace, TextureLoader, type Texture } from 'three';
import { tilePath, tilePointLonLat } from '../../../app/sky/hips';
import { hammerPoints, unitVectors } from './sky-math';

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

/** the tile's (segments+1)² grid: RA/Dec from app/sky and texture coordinates */
function tileGrid(o: HipsBackgroundOptions, tile: number, segments: number) {
  const S = segments, n = (S + 1) * (S + 1);
  const ra = new Float32Array(n), dec = new Float32Array(n), uv = new Float32Array(n * 2);
  for (let j = 0; j <= S; j++)
    for (let i = 0; i <= S; i++) {
      const k = j * (S + 1) + i;
      [ra[k], dec[k]] = tilePointLonLat(o.order, tile, o.tileWidth, (i / S) * o.tileWidth, (j / S) * o.tileWidth);
      uv[2 * k] = i / S;
      uv[2 * k + 1] = 1 - j / S;
    }
  return { ra, dec, uv };
}

/** two triangles per grid cell, minus those `keep` rejects */
function gridIndex(S: number, keep: (a: number, b: number, c: number) => boolean = () => true): number[] {
  const index: number[] = [];
  for (let j = 0; j < S; j++)
    for (let i = 0; i < S; i++) {
      const a = j * (S + 1) + i, b = a + 1, c = a + S + 1, d = c + 1;
      if (keep(a, c, b)) index.push(a, c, b);
      if (keep(b, c, d)) index.push(b, c, d);
    }
  return index;
}

function tileGeometry(o: HipsBackgroundOptions, tile: number): BufferGeometry {
  const { ra, dec, uv } = tileGrid(o, tile, o.segments);
  return new BufferGeometry()
    .setAttribute('position', new BufferAttribute(unitVectors(ra, dec, o.radius), 3))
    .setAttribute('uv', new BufferAttribute(uv, 2))
    .setIndex(gridIndex(o.segments));
}

/**
 * The tile on the Hammer-Aitoff ellipse centred on ra0; a finer grid, and
 * the triangles that would straddle the RA = ra0 ± 180° edge dropped (they
 * would stretch across the whole map).
 */
function flatTileGeometry(o: HipsBackgroundOptions, tile: number, ra0: number): BufferGeometry {
  const S = o.segments * 2;
  const { ra, dec, uv } = tileGrid(o, tile, S);
  const pos = hammerPoints(ra, dec, ra0);
  const lon = Float64Array.from(ra, (r) => ((((r - ra0) % 360) + 540) % 360) - 180);
  const keep = (a: number, b: number, c: number) => Math.max(lon[a], lon[b], lon[c]) - Math.min(lon[a], lon[b], lon[c]) < 90;
  for (let k = 2; k < pos.length; k += 3) pos[k] = -0.4;
  return new BufferGeometry().setAttribute('position', new BufferAttribute(pos, 3)).setAttribute('uv', new BufferAttribute(uv, 2)).setIndex(gridIndex(S, keep));
}

/** one texture per tile of one order, shared by the globe and the all-sky view; `onTile` after each arrives */
export function hipsTextures(o: HipsBackgroundOptions, onTile: () => void): Texture[] {
  const loader = new TextureLoader();
  return Array.from({ length: 12 * 4 ** o.order }, (_, tile) => {
    const map = loader.load(`${o.base}/${tilePath(o.order, tile, 'jpeg')}`, onTile, undefined, () => undefined);
    map.colorSpace = SRGBColorSpace;
    return map;
  });
}

const material = (map: Texture) => new MeshBasicMaterial({ map, side: DoubleSide, color: 0x8a8a8a });

/** all tiles on the globe */
export function hipsBackground(o: HipsBackgroundOptions, textures: Texture[]): Group {
  const group = new Group();
  textures.forEach((map, tile) => group.add(new Mesh(tileGeometry(o, tile), material(map))));
  return group;
}

/** all tiles on the Hammer-Aitoff ellipse centred on ra0 (z = -0.4: behind the graticule and the points) */
export function hipsFlatBackground(o: HipsBackgroundOptions, textures: Texture[], ra0: number): Group {
  const group = new Group();
  textures.forEach((map, tile) => group.add(new Mesh(flatTileGeometry(o, tile, ra0), material(map))));
  return group;
}
