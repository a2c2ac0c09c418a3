/**
 * Inventek eS-WiFi framing (seeds/002 and the eS-WiFi AT command set): two-letter commands
 * without an `AT` prefix (`P1=3`, `D0=host`), each answered by `<CR><LF>…<CR><LF>OK<CR><LF>> `.
 * The trailing `> ` means "ready for the next command"; `I?` (product information) is the
 * harmless command used to check the module answers.
 */
import { dialectRedaction, type VendorDialect } from '../types';

export const eswifiDialect: VendorDialect = {
  vendor: 'eswifi',
  label: 'Inventek eS-WiFi',
  initCommands: [],
  atPrefix: false,
  syncCommand: 'I?',
  readyPrompt: '> ',
  finals: [{ pattern: /^ERROR(?:.*)?$/, success: false }],
  urcs: [],
  // C2 sets the network passphrase: the value is everything after `=` (eS-WiFi values are not
  // quoted, and a comma or `;` is part of a passphrase), so it is masked whole.
  ...dialectRedaction({ parameters: [{ name: 'C2', secret: 'whole' }] }),
};
