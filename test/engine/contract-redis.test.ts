import { brokerContract } from './contract.js';

brokerContract('redis');
