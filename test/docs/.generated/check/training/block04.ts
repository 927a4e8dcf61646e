// docs/training.md:129 (block 4)
import * as st from 'strata';

const schedule = st.optimizers.cosineDecay({ initialLearningRate: 0, warmupTarget: 1e-3, warmupSteps: 100, decaySteps: 1000 });
console.log(schedule.valueAt(0), schedule.valueAt(100), schedule.valueAt(1100));   // 0, 0.001, 0
const opt = st.optimizers.adamw({ learningRate: schedule, weightDecay: 0.01, globalClipNorm: 1 });
opt.dispose();
export {};
