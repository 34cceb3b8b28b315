// Every pipeline module, imported by each process that sends or runs pipeline tasks: importing
// a module registers its tasks, its IGWN Alert handlers, its periodic tasks and its bootsteps.
import './external-skymaps.js';
import './igwn-alert.js';
import './mock/index.js';
import './superevents/index.js';
import './orchestrator/index.js';
