// docs/training.md:188 (block 6)
import * as st from 'strata';

const cm = st.metrics.confusionMatrix([0, 1, 2, 2, 1], [0, 2, 2, 2, 1], { labels: ['cat', 'dog', 'fox'] });
cm.print();                      // a table with per-class recall
console.log(cm.accuracy());      // 0.8
export {};
