export { deskAnswer, deskReply, describeHours, isOpen, nextOpening } from './business-hours';
export { formPhase } from './form-phase';
export { FRONT_DESK_ERROR_STATUS, FrontDeskError, type FrontDeskErrorCode } from './front-desk.errors';
export { handoffPhase } from './handoff-phase';
export { findSlotValue, validateSlotValue } from './slot-values';
