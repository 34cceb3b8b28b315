import { busConformance } from './helpers/bus-conformance.js';
import { kafkaHarness } from './helpers/harness.js';

busConformance(() => kafkaHarness());
