/**
 * « Administrateur » is Carnet's word for the professional a patient trusts with their whole record; it is
 * explained wherever the patient meets it, in the same words.
 */
export function AdministratorHelp() {
  return (
    <details className="help">
      <summary>Qu’est-ce qu’un médecin administrateur ?</summary>
      <p>
        C’est un professionnel de santé que vous choisissez, souvent votre médecin traitant, pour suivre tout
        votre dossier : il voit aussi les documents et les rubriques que vous avez masqués. Vous pouvez lui
        retirer ce rôle à tout moment, dans « Qui peut voir mon dossier ».$
      </p>
    </details>
  );
}
