// docs/backends.md:24 (block 1)
import * as st from '../../../../../src/index.js';

console.log(await st.ready());   // the default: 'wasm' in Node (or 'cpu' if wasm fails to start)
await st.setBackend('cpu');
console.log(st.getBackend());    // 'cpu'
await st.setBackend('wasm');
console.log(st.getBackend());    // 'wasm'
export {};
