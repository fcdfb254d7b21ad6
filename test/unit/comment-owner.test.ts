/** Which comments are ours (issue 11.4): only those written by the token's own account. */
import { ACTIONS_BOT, writtenBy } from '../../src/action/comment.js';

test('a comment is ours only when the token\'s account wrote it; "[bot]" logins match only accounts of type Bot', () => {
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  expect(writtenBy(bot, ACTIONS_BOT)).toBe(true);
  // GraphQL names a bot without its suffix
  expect(writtenBy(bot, 'github-actions')).toBe(true);
  expect(writtenBy({ login: 'github-actions', type: 'User' }, ACTIONS_BOT)).toBe(false);
  expect(writtenBy({ login: 'mallory', type: 'User' }, ACTIONS_BOT)).toBe(false);
  expect(writtenBy({ login: 'Maintainer', type: 'User' }, 'maintainer')).toBe(true);
  expect(writtenBy({ login: 'maintainer[bot]', type: 'User' }, 'maintainer')).toBe(false);
  expect(writtenBy(null, ACTIONS_BOT)).toBe(false);
  expect(writtenBy({ type: 'Bot' }, ACTIONS_BOT)).toBe(false);
});
