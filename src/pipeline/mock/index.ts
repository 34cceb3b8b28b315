// Mock events: importing this module registers their tasks, the MDC-superevent vetting handler
// and the periodic entries beat sends.
import './tasks.js';
import './vetting.js';
