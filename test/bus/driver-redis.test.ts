import { busConformance } from './helpers/bus-conformance.js';
import { redisHarness } from './helpers/harness.js';

busConformance(() => redisHarness());
