import exposeAssessmentGerman from './configurations/expose-assessment-german.json' with { type: 'json' }
import exposeAssessment from './configurations/expose-assessment.json' with { type: 'json' }
import exposeFeedbackGerman from './configurations/expose-feedback-german.json' with { type: 'json' }
import exposeFeedback from './configurations/expose-feedback.json' with { type: 'json' }
import exposeValidation from './configurations/expose-validation.json' with { type: 'json' }

/** What a configuration is: `type` 0 an assessment rubric, 1 a submission validation schema. */
export const configurationType = { assessment: 0, validation: 1 } as const
export type ConfigurationType = (typeof configurationType)[keyof typeof configurationType]

/** A configuration every installation starts with, owned by the `admin` account. */
export interface ConfigurationSeed {
  name: string
  description: string
  type: ConfigurationType
  content: unknown
}

const seed = (content: { name: string; description: string }, type: ConfigurationType): ConfigurationSeed => ({ name: content.name, description: content.description, type, content })

/** The exposé rubrics (assessment and feedback, English and German) and the exposé submission validator. */
export const configurationSeeds: readonly ConfigurationSeed[] = [
  seed(exposeAssessment, configurationType.assessment),
  seed(exposeFeedback, configurationType.assessment),
  seed(exposeValidation, configurationType.validation),
  seed(exposeAssessmentGerman, configurationType.assessment),
  seed(exposeFeedbackGerman, configurationType.assessment),
]
