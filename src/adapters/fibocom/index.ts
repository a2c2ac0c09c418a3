/** Fibocom L610 (seeds/004) in the vendor registry: raw commands and URCs work; TLS comes with its adapter. */
import { recordWithoutTls } from '../vendor';
import { fibocomDialect } from './dialect';

export const fibocomVendor = recordWithoutTls(fibocomDialect, 'cellular');
