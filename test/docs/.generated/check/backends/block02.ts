// docs/backends.md:50 (block 2)
import * as st from '../../../../../src/browser.js';

st.setWasmPaths('/wasm/');             // where the tfjs-backend-wasm .wasm files are served
await st.setBackend('webgl');          // or 'webgpu', 'wasm', 'cpu'
console.log(st.getBackend());
export {};
