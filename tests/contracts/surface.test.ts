/**
 * The IPC surface: the channel list is written out here so that adding,
 * renaming or removing a channel is a deliberate change to this file (the
 * Electron preload and the dev host expose exactly these).
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENT_CHANNEL, INVOKE_CHANNEL, isChannel } from '@app/contracts';
import { SCHEMAS } from '@app/contracts/schemas';

describe('IPC surface', () => {
  it('is exactly this list of channels', () => {
    expect(CHANNELS).toEqual([
      'catalog.classes',
      'catalog.numeric',
      'catalog.object',
      'catalog.positions',
      'cutouts.get',
      'cutouts.layer',
      'embeddings.projection',
      'embeddings.startEmbed',
      'embeddings.startProjection',
      'ingest.lastReport',
      'ingest.start',
      'jobs.cancel',
      'jobs.list',
      'models.add',
      'models.list',
      'patches.overlay',
      'probe.create',
      'probe.exportCandidates',
      'probe.exportRanked',
      'probe.history',
      'probe.labels',
      'probe.result',
      'probe.retrain',
      'probe.rounds',
      'probe.searches',
      'probe.setLabel',
      'probe.setLabels',
      'probe.undo',
      'samp.connect',
      'samp.disconnect',
      'samp.pointAt',
      'samp.select',
      'samp.sendSearch',
      'samp.sendSelection',
      'samp.sendWorkspace',
      'samp.status',
      'search.neighbours',
      'sky.hipsTile',
      'sky.openHips',
      'sky.resolveName',
      'vetting.createFromSearch',
      'vetting.export',
      'vetting.get',
      'vetting.grade',
      'vetting.lists',
      'workspace.createDemo',
      'workspace.info',
      'workspace.open',
      'workspace.recent',
    ]);
    expect([INVOKE_CHANNEL, EVENT_CHANNEL]).toEqual(['latent-sky:invoke', 'latent-sky:event']);
  });

  it('every channel has an input validator and nothing else is a channel', () => {
    expect(Object.keys(SCHEMAS).sort()).toEqual([...CHANNELS]);
    expect(isChannel('workspace.open')).toBe(true);
    expect(isChannel('workspace.delete')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel('constructor')).toBe(false);
  });
});
