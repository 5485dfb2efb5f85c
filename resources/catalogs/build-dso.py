#!/usr/bin/python3
"""
Builds resources/catalogs/dso-ngc-ic-messier.tsv from Stellarium's deep-sky
catalogue (Debian stellarium-data 0.22.2: usr/share/stellarium/nebulae/default/
catalog.dat and names.dat). Offline; standard library only.

catalog.dat is a gzip'd Qt QDataStream (big-endian; Qt >= 4.6 writes float as
an 8-byte double): a QString version ("3.16"), a QString edition, then one
record per object laid out as Stellarium's Nebula::readDSO reads it:
  DSO_nb u32, ra f64 (rad), dec f64 (rad), bMag f64, vMag f64, oType u32,
  mTypeString QString, majorAxis f64, minorAxis f64, orientation u32,
  redshift f64, redshiftErr f64, parallax f64, parallaxErr f64, dist f64,
  distErr f64, NGC IC M C B Sh2 VdB RCW LDN LBN Cr Mel PGC UGC u32,
  Ced QString, Arp VV u32, PK PNG SNRG ACO HCG ESO VdBH QString,
  DWB Tr St Ru VdBHa u32.
A QString is a u32 byte length (0xffffffff = null) then UTF-16BE.

Output: one line per object that has an M, NGC or IC number:
  M<TAB>NGC<TAB>IC<TAB>ra_deg<TAB>dec_deg<TAB>type<TAB>names (';'-separated)
(empty cell = none). Usage: build-dso.py [STELLARIUM_NEBULAE_DIR] [OUT.tsv]
"""
import gzip, os, struct, sys

SRC = sys.argv[1] if len(sys.argv) > 1 else '/tmp/debs/x/usr/share/stellarium/nebulae/default'
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'dso-ngc-ic-messier.tsv')

# Nebula::NebulaType, in enum order
TYPES = ['galaxy', 'active galaxy', 'radio galaxy', 'interacting galaxies', 'quasar', 'star cluster', 'open cluster',
         'globular cluster', 'stellar association', 'star cloud', 'nebula', 'planetary nebula', 'dark nebula',
         'reflection nebula', 'bipolar nebula', 'emission nebula', 'cluster with nebulosity', 'HII region',
         'supernova remnant', 'interstellar matter', 'emission object', 'BL Lac object', 'blazar', 'molecular cloud',
         'young stellar object', 'possible quasar', 'possible planetary nebula', 'protoplanetary nebula', 'star',
         'symbiotic star', 'emission-line star', 'supernova candidate', 'supernova remnant candidate',
         'cluster of galaxies', 'part of a galaxy', 'region of the sky', 'unknown']


class Reader:
    def __init__(self, b):
        self.b, self.p = b, 0

    def u32(self):
        v = struct.unpack_from('>I', self.b, self.p)[0]
        self.p += 4
        return v

    def f64(self):
        v = struct.unpack_from('>d', self.b, self.p)[0]
        self.p += 8
        return v

    def qstr(self):
        n = self.u32()
        if n == 0xFFFFFFFF:
            return ''
        s = self.b[self.p:self.p + n].decode('utf-16-be')
        self.p += n
        return s


def read_catalog(path):
    r = Reader(gzip.decompress(open(path, 'rb').read()))
    version, edition = r.qstr(), r.qstr()
    if version != '3.16':
        sys.exit(f'{path}: catalogue version {version!r}, this script reads 3.16 (Stellarium 0.22)')
    out = {}
    while r.p < len(r.b):
        dso = r.u32()
        ra, dec = r.f64(), r.f64()
        r.f64(); r.f64()  # bMag, vMag
        otype = r.u32()
        r.qstr()  # morphological type
        r.f64(); r.f64(); r.u32()  # axes, orientation
        for _ in range(6): r.f64()  # redshift, parallax, distance (+ errors)
        ngc, ic, m = r.u32(), r.u32(), r.u32()
        for _ in range(11): r.u32()  # C B Sh2 VdB RCW LDN LBN Cr Mel PGC UGC
        r.qstr(); r.u32(); r.u32()  # Ced, Arp, VV
        for _ in range(7): r.qstr()  # PK PNG SNRG ACO HCG ESO VdBH
        for _ in range(5): r.u32()  # DWB Tr St Ru VdBHa
        if m or ngc or ic:
            ra_deg = (ra * 180 / 3.141592653589793) % 360
            out[dso] = dict(m=m, ngc=ngc, ic=ic, ra=ra_deg, dec=dec * 180 / 3.141592653589793,
                            type=TYPES[otype] if otype < len(TYPES) else 'unknown', names=[])
    if r.p != len(r.b):
        sys.exit(f'{path}: {len(r.b) - r.p} bytes left over: the record layout does not match')
    return edition, out


def add_names(path, objs):
    """names.dat: prefix (cols 1-5), id (6-20), then _("name") — attach names to M/NGC/IC objects"""
    key = {}
    for o in objs:
        for cat, f in (('M', 'm'), ('NGC', 'ngc'), ('IC', 'ic')):
            if o[f]:
                key.setdefault((cat, str(o[f])), o)
    for line in open(path, encoding='utf-8'):
        if line.startswith('#') or len(line) < 21:
            continue
        prefix, ident, rest = line[0:5].strip(), line[5:20].strip(), line[20:]
        o = key.get((prefix, ident))
        if not o:
            continue
        a, b = rest.find('_("'), rest.find('")')
        if a < 0 or b < a:
            continue
        name = rest[a + 3:b].strip()
        if name and name not in o['names']:
            o['names'].append(name)


def main():
    edition, objs = read_catalog(os.path.join(SRC, 'catalog.dat'))
    ordered = sorted(objs.values(), key=lambda o: (0 if o['m'] else 1 if o['ngc'] else 2, o['m'] or o['ngc'] or o['ic']))
    # a designation names one object: the first in this order (Messier first); later rows that add no
    # new designation (components Stellarium lists under the same number) are dropped
    seen, rows = set(), []
    for o in ordered:
        ids = {(c, o[f]) for c, f in (('M', 'm'), ('NGC', 'ngc'), ('IC', 'ic')) if o[f]}
        if ids - seen:
            rows.append(o)
        seen |= ids
    print(f'{len(ordered) - len(rows)} rows repeat a designation already listed: dropped')
    add_names(os.path.join(SRC, 'names.dat'), rows)
    with open(OUT, 'w', encoding='utf-8', newline='\n') as f:
        f.write('# Messier, NGC and IC objects from Stellarium 0.22.2 DSO catalogue 3.16 (%s edition), built by build-dso.py; see README.md\n' % edition)
        f.write('m\tngc\tic\tra\tdec\ttype\tnames\n')
        for o in rows:
            f.write('%s\t%s\t%s\t%.4f\t%.4f\t%s\t%s\n' % (o['m'] or '', o['ngc'] or '', o['ic'] or '', o['ra'], o['dec'], o['type'],
                                                        ';'.join(n.replace('\t', ' ').replace(';', ',') for n in o['names'])))
    print(f'{OUT}: {len(rows)} objects ({sum(1 for o in rows if o["m"])} M, {sum(1 for o in rows if o["ngc"])} NGC, {sum(1 for o in rows if o["ic"])} IC)')


main()
