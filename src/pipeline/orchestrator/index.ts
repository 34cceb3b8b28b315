// The orchestrator's task modules: importing this registers its tasks and IGWN Alert handlers.
import './apply-label.js';
import './alert-tasks.js';
import './event-annotations.js';
import './flows.js';
import './superevent-handler.js';
import '../alerts.js';
import '../circulars.js';
import '../detchar.js';
import '../em-bright.js';
import '../p-astro.js';
import '../bayestar.js';
import '../skymaps.js';
