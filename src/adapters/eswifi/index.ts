/** Inventek eS-WiFi (seeds/002) in the vendor registry: raw commands and URCs work; TLS comes with its adapter. */
import { recordWithoutTls } from '../vendor';
import { eswifiDialect } from './dialect';

export const eswifiVendor = recordWithoutTls(eswifiDialect, 'wifi');
