/**
 * Per-event annotations (gwcelery-spec §4.1): a new CBC candidate gets em_bright, the fallback
 * p_astro where the pipeline does not provide one, and a BAYESTAR sky map, each ending with its
 * READY label (the labels that make the candidate complete); cWB's BBH search gets em_bright
 * from its chirp mass, and a Burst pipeline's flat sky map is converted to multi-order.
 */
import type { IgwnAlert } from '../../bus/igwn-alert/envelope.js';
import { onIgwnAlert } from '../../bus/igwn-alert/registry.js';
import { defineTask } from '../../engine/index.js';
import { shouldComputeEmBright, shouldComputePAstro } from '../../science/index.js';
import { bayestarLocalize } from '../bayestar.js';
import { uploadedFile } from '../classification-plot.js';
import { emBrightAnnotateEvent } from '../em-bright.js';
import { pAstroAnnotateEvent } from '../p-astro.js';
import { multiorderFromFlat } from '../skymaps.js';
import { flowPriority } from './flows.js';

const CBC_TOPICS = ['cbc_gstlal', 'cbc_spiir', 'cbc_pycbc', 'cbc_mbta'];
const BURST_TOPICS = ['burst_olib', 'burst_cwb', 'burst_mly'];

interface EventObject {
  graceid?: string;
  group?: string;
  pipeline?: string;
  search?: string | null;
}

export const handleCbcEvent = defineTask(
  { name: 'orchestrator.handle_cbc_event', ignoreResult: true },
  async (ctx, alert: IgwnAlert) => {
    const event = alert.object as EventObject;
    const graceid = alert.uid;
    if ((event.search ?? '').toLowerCase() === 'vtinjection') return;
    if (alert.alert_type !== 'new') return;
    const config = ctx.app.config;
    const options = (step: string) => ({
      priority: flowPriority(event, config),
      taskId: `${ctx.id}.${step}`,
    });
    const sends: Promise<unknown>[] = [];
    if (shouldComputeEmBright(event as Record<string, unknown>)) {
      sends.push(emBrightAnnotateEvent.applyAsync([graceid], options('em_bright')));
    }
    if (shouldComputePAstro(event.pipeline ?? '', event.search ?? '', config)) {
      sends.push(pAstroAnnotateEvent.applyAsync([graceid], options('p_astro')));
    }
    sends.push(bayestarLocalize.applyAsync([graceid], options('bayestar')));
    await Promise.all(sends);
  },
);

export const handleBurstEvent = defineTask(
  { name: 'orchestrator.handle_burst_event', ignoreResult: true },
  async (ctx, alert: IgwnAlert) => {
    const event = alert.object as EventObject;
    const graceid = alert.uid;
    const options = (step: string) => ({
      priority: flowPriority(event, ctx.app.config),
      taskId: `${ctx.id}.${step}`,
    });
    if (alert.alert_type === 'new') {
      if (shouldComputeEmBright(event as Record<string, unknown>)) {
        await emBrightAnnotateEvent.applyAsync([graceid], options('em_bright'));
      }
      return;
    }
    const file = uploadedFile(alert);
    if (file?.filename.endsWith('.fits.gz')) {
      await multiorderFromFlat.applyAsync(
        [graceid, `${file.filename},${file.version}`],
        options('multiorder'),
      );
    }
  },
);

onIgwnAlert(CBC_TOPICS, handleCbcEvent.name);
onIgwnAlert(BURST_TOPICS, handleBurstEvent.name);
