import { brokerContract } from './contract.js';

brokerContract('embedded');
