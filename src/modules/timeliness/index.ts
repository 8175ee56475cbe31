// Loading this module registers the deadline sweeper and the timer handlers.
import './escalation.js';
import './rules.js';
import './sweeper.js';
