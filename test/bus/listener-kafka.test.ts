import { kafkaHarness } from './helpers/harness.js';
import { listenerSuite } from './helpers/listener-suite.js';

listenerSuite(() => kafkaHarness());
