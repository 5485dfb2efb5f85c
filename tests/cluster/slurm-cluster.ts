/**
 * A real single-node Slurm cluster for tests (Debian slurm-wlm + munge): its
 * own munge key and socket, slurmctld + slurmd on localhost, state under a
 * temporary folder. The recipe is in the shared stack notes ("A real
 * single-node Slurm for tests").
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';

const BINS = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/sbin/munged', '/usr/sbin/mungekey'];

/** why a real cluster cannot start here, or null */
export function slurmUnavailable(): string | null {
  const missing = BINS.filter((b) => !existsSync(b));
  if (missing.length) return `slurm-wlm/munge not installed (${missing.join(', ')} missing)`;
  if (userInfo().uid !== 0) return 'the test cluster runs slurmd as root (SlurmUser=root): run as root';
  return null;
}

export interface Cluster {
  env: NodeJS.ProcessEnv;
  conf: string;
  stop(): void;
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function startCluster(root: string): Cluster {
  // munged runs as the munge user: it must be able to reach its folders
  mkdirSync(root, { recursive: true });
  for (const d of [dirname(root), root]) chmodSync(d, 0o755);
  const dirs = ['munge', 'munge-sock', 'state', 'spool', 'log', 'run'].map((d) => join(root, d));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  const [mungeDir, sockDir, state, spool, log, run] = dirs;
  const munge = Number(execFileSync('id', ['-u', 'munge']).toString().trim());
  const mungeGid = Number(execFileSync('id', ['-g', 'munge']).toString().trim());
  const key = join(mungeDir, 'munge.key');
  execFileSync('/usr/sbin/mungekey', ['--create', '--keyfile', key, '--force']);
  for (const p of [mungeDir, sockDir, key]) chownSync(p, munge, mungeGid);
  chmodSync(key, 0o400);
  chmodSync(mungeDir, 0o700);
  chmodSync(sockDir, 0o711);
  const socket = join(sockDir, 'munge.socket');
  const mungeArgs = [
    '--socket',
    socket,
    '--key-file',
    key,
    '--pid-file',
    join(sockDir, 'munged.pid'),
    '--log-file',
    join(mungeDir, 'munged.log'),
    '--seed-file',
    join(mungeDir, 'munged.seed'),
    '--force',
  ];
  execFileSync('runuser', ['-u', 'munge', '--', '/usr/sbin/munged', ...mungeArgs]);
  const hw = execFileSync('/usr/sbin/slurmd', ['-C']).toString();
  const val = (k: string) => new RegExp(`${k}=(\\d+)`).exec(hw)?.[1] ?? '1';
  const conf = join(root, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=latentsky-test',
      'SlurmctldHost=localhost',
      `AuthType=auth/munge`,
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'MpiDefault=none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      `StateSaveLocation=${state}`,
      `SlurmdSpoolDir=${spool}`,
      `SlurmctldPidFile=${run}/slurmctld.pid`,
      `SlurmdPidFile=${run}/slurmd.pid`,
      `SlurmctldLogFile=${log}/slurmctld.log`,
      `SlurmdLogFile=${log}/slurmd.log`,
      'SlurmctldPort=16817',
      'SlurmdPort=16818',
      'ReturnToService=2',
      `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${val('CPUs')} Boards=1 SocketsPerBoard=${val('SocketsPerBoard')} CoresPerSocket=${val('CoresPerSocket')} ThreadsPerCore=${val('ThreadsPerCore')} RealMemory=${Math.floor(Number(val('RealMemory')) * 0.95)} State=UNKNOWN`,
      'PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  execFileSync('/usr/sbin/slurmctld', ['-f', conf], { env });
  execFileSync('/usr/sbin/slurmd', ['-f', conf, '-N', 'localhost'], { env });
  const stop = () => {
    spawnSync('/usr/bin/scancel', ['--user=root'], { env });
    spawnSync('/usr/bin/scontrol', ['shutdown'], { env });
    spawnSync('runuser', ['-u', 'munge', '--', '/usr/sbin/munged', '--socket', socket, '--stop']);
  };
  for (let i = 0; i < 100; i++) {
    const s = spawnSync('/usr/bin/sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' });
    if (s.stdout.trim() === 'idle') return { env, conf, stop };
    sleep(200);
  }
  const why = spawnSync('/usr/bin/sinfo', ['-h', '-o', '%T %E'], { env, encoding: 'utf8' }).stdout;
  stop();
  throw new Error(`the test Slurm node did not become idle (${why.trim()}); logs in ${log}`);
}

/** waits until no job of ours is queued or running; returns false on timeout */
export function waitIdle(env: NodeJS.ProcessEnv, timeoutMs: number): boolean {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const q = spawnSync('/usr/bin/squeue', ['-h', '-o', '%i %T'], { env, encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') return true;
    sleep(300);
  }
  return false;
}
