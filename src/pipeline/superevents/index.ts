// The superevent manager: importing this module registers its tasks and IGWN Alert handlers.
import './tasks.js';
