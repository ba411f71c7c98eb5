/** Defaults and one-line explanations of the training settings, for the Train area's form. */
export { DEFAULT_TRAIN_CONFIG, HYPERPARAMETER_HELP, type TrainConfig } from '../../train/config.ts';
