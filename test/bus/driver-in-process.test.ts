import { busConformance } from './helpers/bus-conformance.js';
import { inProcessHarness } from './helpers/harness.js';

busConformance(() => inProcessHarness());
