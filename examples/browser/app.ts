import * as st from '../../src/browser.js'; console.log(st.getBackend());
