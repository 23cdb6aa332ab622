import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import type { Logger } from '../../sync/index.js'

/** A skill definition file: its name, and the example output answered while the broker is down. */
const skillDefinition = z.looseObject({
  name: z.string().min(1),
  output: z.looseObject({ example: z.unknown().optional() }).optional(),
})
export type SkillDefinition = z.infer<typeof skillDefinition>

/**
 * The skill definitions (`*.yaml`) of `dir`, by name. A file that is not YAML or has no name is
 * skipped with a warning naming it, so one broken file leaves the others offered.
 */
export function loadFallbackSkills(dir: string | null, log: Logger): ReadonlyMap<string, SkillDefinition> {
  const skills = new Map<string, SkillDefinition>()
  if (dir === null) return skills
  let files: string[]
  try {
    files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort()
  } catch (error) {
    log.warn('nlp.fallback_dir_unreadable', { dir, error: (error as Error).message })
    return skills
  }
  for (const file of files) {
    try {
      const definition = skillDefinition.parse(parse(readFileSync(join(dir, file), 'utf8')))
      skills.set(definition.name, definition)
    } catch (error) {
      log.warn('nlp.fallback_skill_skipped', { file, error: error instanceof z.ZodError ? 'expected a mapping with a name' : (error as Error).message })
    }
  }
  return skills
}
