/**
 * Loaded into the demo's Node-RED process (`node -r …/demo-guard.js red.js`): when the process that
 * started the demo ends — Ctrl-C, a crash, a test runner killed on a timeout — its IPC channel to
 * Node-RED closes, and this stops Node-RED the way Ctrl-C would, so no Node-RED is left holding the
 * editor's port.
 *
 * Must never: do anything else in Node-RED's process.
 */
if (typeof process.send === 'function') {
  process.once('disconnect', () => process.kill(process.pid, 'SIGINT'));
}
