export {
  createItemMatcher,
  matchPropertiesConfig,
  toMatchProperties,
  type AttributeMatch,
  type IncludeExclude,
  type ItemMatcher,
  type MatchProperties,
  type MatchPropertiesConfig,
} from './match.js';
