import { describe, expect, it } from 'vitest'
import { rowMatches } from '../../clients/rowFilter.js'
import { rowKeyOf, RowStore } from '../../clients/RowStore.js'

describe('RowStore', () => {
  it('shallow-merges partial rows by id and removes rows pushed with deleted: true', () => {
    const store = new RowStore(rowKeyOf('document'))
    expect(store.apply([{ id: 1, name: 'a', public: false }, { id: 2, name: 'b', public: false }])).toBe(true)
    const before = store.values()[0]
    expect(store.apply([{ id: 1, public: true }])).toBe(true)
    expect(store.values()).toEqual([
      { id: 1, name: 'a', public: true },
      { id: 2, name: 'b', public: false },
    ])
    // Changed rows are new objects, so views can compare by identity.
    expect(store.values()[0]).not.toBe(before)
    expect(store.apply([{ id: 2, deleted: true }])).toBe(true)
    expect(store.values()).toEqual([{ id: 1, name: 'a', public: true }])
    expect(store.apply([{ id: 9, deleted: true }, { name: 'no key' }])).toBe(false)
  })

  it('keys tables without an id by their primary key columns', () => {
    const rights = new RowStore(rowKeyOf('user_right'))
    rights.apply([{ name: 'a.read', description: 'x' }, { name: 'a.write' }])
    rights.apply([{ name: 'a.read', deleted: true }])
    expect(rights.values()).toEqual([{ name: 'a.write' }])
    const matching = new RowStore(rowKeyOf('role_right_matching'))
    matching.apply([{ userRoleId: 1, userRightName: 'x' }, { userRoleId: 2, userRightName: 'x' }])
    matching.apply([{ userRoleId: 1, userRightName: 'x', deleted: true }])
    expect(matching.values()).toEqual([{ userRoleId: 2, userRightName: 'x' }])
  })

  it('drops, after a resync, the rows the server did not send again', () => {
    const store = new RowStore(rowKeyOf('document'))
    store.apply([{ id: 1 }, { id: 2 }, { id: 3 }])
    store.beginResync()
    store.apply([{ id: 2, name: 'x' }, { id: 4 }])
    expect(store.endResync()).toBe(true)
    expect(store.values()).toEqual([{ id: 2, name: 'x' }, { id: 4 }])

    store.beginResync()
    store.abortResync()
    expect(store.endResync()).toBe(false)
    expect(store.values()).toHaveLength(2)
  })
})

describe('rowMatches (subscription filters, as the server evaluates them)', () => {
  const row = { id: 1, public: true, projectId: null, createdAt: '2026-01-02T03:04:05.000Z' }
  it('tests equality, any-of and inequality, with null for missing values', () => {
    expect(rowMatches(row, undefined)).toBe(true)
    expect(rowMatches(row, [])).toBe(true)
    expect(rowMatches(row, [{ key: 'public', value: true }])).toBe(true)
    expect(rowMatches(row, [{ key: 'public', value: false }])).toBe(false)
    expect(rowMatches(row, [{ key: 'id', values: [3, 1] }])).toBe(true)
    expect(rowMatches(row, [{ key: 'id', values: [3] }])).toBe(false)
    expect(rowMatches(row, [{ type: 'not', key: 'projectId', value: null }])).toBe(false)
    expect(rowMatches(row, [{ key: 'missing', value: null }])).toBe(true)
    expect(rowMatches(row, [{ key: 'public', value: true }, { key: 'id', value: 2 }])).toBe(false)
  })

  it('compares timestamps by instant, given as milliseconds or ISO strings', () => {
    const ms = Date.parse(row.createdAt)
    expect(rowMatches(row, [{ key: 'createdAt', value: ms }])).toBe(true)
    expect(rowMatches(row, [{ key: 'createdAt', value: '2026-01-02T04:04:05+01:00' }])).toBe(true)
    expect(rowMatches(row, [{ key: 'createdAt', value: ms + 1 }])).toBe(false)
  })
})
