/** Digi XBee3 Cellular (seeds/000) in the vendor registry: raw commands and URCs work; TLS comes with its adapter. */
import { recordWithoutTls } from '../vendor';
import { xbee3Dialect } from './dialect';

export const xbee3Vendor = recordWithoutTls(xbee3Dialect, 'cellular');
