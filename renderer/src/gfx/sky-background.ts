/**
 * The sky-map background: a HiPS drawn on the globe, one mesh per HEALPix
 * tile of one order with the tile's image as texture. The tile corners and
 * interior come from app/sky (tilePointLonLat; galactic HiPS converted to
 * ICRS), so the image lines up with the catalogue. Dimmed so the objects stay
 * readable. The same textures also cover the all-sky Hammer-Aitoff view.
 * The bundled one (resources/sky/procedural, copied next to the renderer by
 * vite's publicDir) is a procedural placeholder; any HiPS the engine opens
 * (SkyService.openHips) comes as tile bytes through the contract.
 */
import { BufferAttribute, BufferGeometry, DoubleSide, Group, Mesh, MeshBasicMaterial, SRGBColorSpace, TextureLoader, type Texture } from 'three';
import { galacticToIcrs } from '@app/sky/coords';
import { tilePath, tilePointLonLat } from '@app/sky/hips';
import { hammerPoints, unitVectors } from './sky-math';

export interface HipsBackgroundOptions {
  order: number;
  tileWidth: number;
  frame: 'equatorial' | 'galactic';
  /** grid segments per tile side */
  segments: number;
  radius: number;
  /** an image URL for a tile (a blob: URL for tiles from the engine), null when the survey has none */
  tileUrl(order: number, tile: number): string | null | Promise<string | null>;
}

export const BUNDLED_SKY: HipsBackgroundOptions = {
  order: 1,
  tileWidth: 256,
  frame: 'equatorial',
  segments: 8,
  radius: 0.998,
  tileUrl: (o, t) => `./${tilePath(o, t, 'jpeg')}`,
};

/** the tile's (segments+1)² grid: RA/Dec from app/sky and texture coordinates */
function tileGrid(o: HipsBackgroundOptions, tile: number, segments: number) {
  const S = segments,
    n = (S + 1) * (S + 1);
  const ra = new Float32Array(n),
    dec = new Float32Array(n),
    uv = new Float32Array(n * 2);
  for (let j = 0; j <= S; j++)
    for (let i = 0; i <= S; i++) {
      const k = j * (S + 1) + i;
      const [lon, lat] = tilePointLonLat(o.order, tile, o.tileWidth, (i / S) * o.tileWidth, (j / S) * o.tileWidth);
      [ra[k], dec[k]] = o.frame === 'galactic' ? galacticToIcrs(lon, lat) : [lon, lat];
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
      const a = j * (S + 1) + i,
        b = a + 1,
        c = a + S + 1,
        d = c + 1;
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

/** one texture slot per tile of one order, shared by the globe and the all-sky view, filled as tiles arrive (`onTile` after each) */
export function hipsTextures(o: HipsBackgroundOptions, onTile: () => void): Promise<Texture | null>[] {
  const loader = new TextureLoader();
  return Array.from({ length: 12 * 4 ** o.order }, async (_, tile) => {
    const url = await Promise.resolve(o.tileUrl(o.order, tile)).catch(() => null);
    if (!url) return null;
    return new Promise<Texture | null>((ok) =>
      loader.load(
        url,
        (map) => {
          map.colorSpace = SRGBColorSpace;
          if (url.startsWith('blob:')) URL.revokeObjectURL(url);
          ok(map);
          onTile();
        },
        undefined,
        () => ok(null),
      ),
    );
  });
}

/** a tile's mesh: hidden until its texture arrives */
function tileMesh(geometry: BufferGeometry, map: Promise<Texture | null>, onTile: () => void): Mesh {
  const mat = new MeshBasicMaterial({ side: DoubleSide, color: 0x8a8a8a, visible: false });
  void map.then((t) => {
    if (!t) return;
    mat.map = t;
    mat.visible = true;
    mat.needsUpdate = true;
    onTile();
  });
  return new Mesh(geometry, mat);
}

/** all tiles on the globe */
export function hipsBackground(o: HipsBackgroundOptions, textures: Promise<Texture | null>[], onTile: () => void): Group {
  const group = new Group();
  textures.forEach((map, tile) => group.add(tileMesh(tileGeometry(o, tile), map, onTile)));
  return group;
}

/** all tiles on the Hammer-Aitoff ellipse centred on ra0 (z = -0.4: behind the graticule and the points) */
export function hipsFlatBackground(o: HipsBackgroundOptions, textures: Promise<Texture | null>[], ra0: number, onTile: () => void): Group {
  const group = new Group();
  textures.forEach((map, tile) => group.add(tileMesh(flatTileGeometry(o, tile, ra0), map, onTile)));
  return group;
}

/** frees a background group's geometries, materials and textures */
export function disposeBackground(g: Group): void {
  g.traverse((m) => {
    if (!(m instanceof Mesh)) return;
    m.geometry.dispose();
    const mat = m.material as MeshBasicMaterial;
    mat.map?.dispose();
    mat.dispose();
  });
}
