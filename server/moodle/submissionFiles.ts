import { and, eq } from 'drizzle-orm'
import { unzipSync } from 'fflate'
import { z } from 'zod'
import { configurationType, documentType } from '../../schema/index.js'
import { configuration, type FolioDatabase } from '../../schema/db/index.js'
import { isPdfBytes, isZipBytes } from '../documents/index.js'
import { InvalidInputError, NotFoundError } from '../errors.js'

/** One file of a submission: the name it was handed in under, and its bytes. */
export interface SubmittedFile {
  fileName: string
  bytes: Buffer
}

/** A file of a submission as the document it becomes: PDFs and ZIP archives are what a submission holds. */
export type SubmissionFileType = typeof documentType.pdf | typeof documentType.zip

/** The document type `file` becomes, by its name, checked against its first bytes. */
export function submissionFileType(file: SubmittedFile): SubmissionFileType {
  if (/\.pdf$/i.test(file.fileName)) {
    if (!isPdfBytes(file.bytes)) throw new InvalidInputError(`${file.fileName} is named .pdf but is not a PDF file`)
    return documentType.pdf
  }
  if (/\.zip$/i.test(file.fileName)) {
    if (!isZipBytes(file.bytes)) throw new InvalidInputError(`${file.fileName} is named .zip but is not a ZIP archive`)
    return documentType.zip
  }
  throw new InvalidInputError(`${file.fileName}: only PDF and ZIP files become documents of a submission`)
}

const pattern = z.string().min(1).max(500)
/** A validation configuration's rules (its `content.rules`), as the seeded exposé validator has them. */
const validationRules = z.looseObject({
  rules: z.looseObject({
    additionalFilesAreAllowed: z.boolean().optional(),
    requiredFiles: z.array(
      z.looseObject({
        pattern,
        description: z.string().optional(),
        required: z.boolean().optional(),
        includeFiles: z.array(z.looseObject({ pattern, description: z.string().optional(), required: z.boolean().optional(), maxMatches: z.number().int().positive().optional() })).optional(),
      }),
    ),
  }),
})
type ValidationRules = z.infer<typeof validationRules>['rules']

/** The rules of live validation configuration `id`; NotFound or InvalidInput naming what to fix. */
export async function loadValidationRules(db: FolioDatabase, id: number): Promise<ValidationRules> {
  const [row] = await db
    .select()
    .from(configuration)
    .where(and(eq(configuration.id, id), eq(configuration.deleted, false)))
    .limit(1)
  if (!row) throw new NotFoundError(`configuration ${id} does not exist`)
  if (row.type !== configurationType.validation) throw new InvalidInputError(`invalid input: validationConfigurationId: configuration ${id} is not a validation configuration`)
  const parsed = validationRules.safeParse(row.content)
  if (!parsed.success) throw new InvalidInputError(`configuration ${id} has no valid rules (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); correct it with configurationUpdate`)
  return parsed.data.rules
}

function regex(source: string): RegExp {
  try {
    return new RegExp(source)
  } catch {
    throw new InvalidInputError(`the validation configuration's pattern ${JSON.stringify(source)} is not a regular expression; correct it with configurationUpdate`)
  }
}

/** The entry names of a ZIP archive, read from its directory without unpacking anything. */
function zipEntryNames(file: SubmittedFile): string[] {
  const names: string[] = []
  try {
    unzipSync(file.bytes, {
      filter: (entry) => {
        names.push(entry.name)
        return false
      },
    })
  } catch (error) {
    throw new InvalidInputError(`${file.fileName} cannot be read as a ZIP archive (${(error as Error).message})`)
  }
  return names
}

/**
 * Checks a submission's files against validation rules: every required file present (a ZIP's
 * required entries too, at most `maxMatches` each), and no file beyond PDFs and ZIPs unless the
 * rules allow it. Throws InvalidInput with the first rule that fails.
 */
export function validateSubmissionFiles(files: readonly SubmittedFile[], rules: ValidationRules): void {
  const others = files.filter((file) => !/\.(pdf|zip)$/i.test(file.fileName))
  if (!rules.additionalFilesAreAllowed && others.length > 0) throw new InvalidInputError(`additional files are not allowed: ${others.map((file) => file.fileName).join(', ')}`)
  for (const required of rules.requiredFiles) {
    const test = regex(required.pattern)
    const matching = files.filter((file) => test.test(file.fileName))
    if (required.required && matching.length === 0) throw new InvalidInputError(`required file missing: ${required.description ?? required.pattern}`)
    for (const archive of required.includeFiles ? matching : []) {
      const names = zipEntryNames(archive)
      for (const include of required.includeFiles!) {
        const includeTest = regex(include.pattern)
        const found = names.filter((name) => includeTest.test(name)).length
        const what = include.description ?? include.pattern
        if (include.required && found === 0) throw new InvalidInputError(`required file missing in ${archive.fileName}: ${what}`)
        if (include.maxMatches !== undefined && found > include.maxMatches) throw new InvalidInputError(`${archive.fileName} has ${found} files matching ${what}, at most ${include.maxMatches} are allowed`)
      }
    }
  }
}
