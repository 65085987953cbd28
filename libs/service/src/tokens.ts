export const CONFIG = Symbol('snapex:config');
export const LOGGER = Symbol('snapex:logger');
