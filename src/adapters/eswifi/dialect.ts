/**
 * Inventek eS-WiFi framing (seeds/002 and the eS-WiFi AT command set, IWIN, as ST es_wifi.c and
 * Zephyr drivers/wifi/eswifi use it): two-letter commands without an `AT` prefix (`P1=3`,
 * `D0=host`), each answered by `<CR><LF>…<CR><LF>OK<CR><LF>> ` — or, when it fails, by
 * `<CR><LF>ERROR: <text><CR><LF>Usage: <syntax><CR><LF>> ` without OK. The trailing `> ` means
 * "ready for the next command", so an answer ends there and not at its final line. `I?` (product
 * information) is the harmless command used to check the module answers.
 *
 * Must never: hold an adapter's behaviour — only how the module frames what it says, and which of
 * its lines carry a secret.
 */
import { dialectRedaction, type VendorDialect } from '../types';

export const eswifiDialect: VendorDialect = {
  vendor: 'eswifi',
  label: 'Inventek eS-WiFi',
  initCommands: [],
  atPrefix: false,
  syncCommand: 'I?',
  readyPrompt: '> ',
  answerEndsAtReadyPrompt: true,
  // `ERROR: Unknown Error` (the hardware capture of a failed join) and a bare `ERROR`; the text
  // after `ERROR: ` is the error's code, as error-decode names it.
  finals: [{ pattern: /^ERROR(?::\s*(.*))?$/, success: false }],
  urcs: [],
  ...dialectRedaction({
    // C2 sets the network passphrase: the value is everything after `=` (eS-WiFi values are not
    // quoted, and a comma or `;` is part of a passphrase), so it is masked whole.
    parameters: [{ name: 'C2', secret: 'whole' }],
    // `C?` lists the settings of the network to join, the passphrase second, in clear (ST
    // es_wifi.c AT_ParseConnSettings reads it back as field 1): its answer is never traced.
    answers: [{ name: 'C', form: 'read' }],
  }),
};
