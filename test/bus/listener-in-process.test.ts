import { inProcessHarness } from './helpers/harness.js';
import { listenerSuite } from './helpers/listener-suite.js';

listenerSuite(() => inProcessHarness());
