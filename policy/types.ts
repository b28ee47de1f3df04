/** The type tokens the pack looks at: the program's own table, from the facts layer (the only layer it imports). */
export { TYPE as TYPES } from "../src/facts";
